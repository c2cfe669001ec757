using System.Collections;
using System.Globalization;
using KubeCache.CacheNode.Options;
using KubeCache.Configuration;
using KubeCache.Operator.Resources;

namespace KubeCache.EndToEnd.Tests.Contract;

/// <summary>
/// The KvCluster schema's limits are the node's: a value the CRD admits must start a node, or the
/// pods crash-loop on a spec the API server accepted.
/// </summary>
public sealed class SpecLimitsTests
{
    [Theory]
    [InlineData("--max-key-bytes", KvClusterDefaults.MaxKeyBytesLimit)]
    [InlineData("--max-value-bytes", KvClusterDefaults.MaxValueBytesLimit)]
    public void SchemaMaximum_NodeAcceptsItAndRefusesOneMore(string flag, int maximum)
    {
        string[] Args(int value) => [flag, value.ToString(CultureInfo.InvariantCulture), "--max-memory", "1gb"];

        NodeOptionTable.Parse(Args(maximum), new Hashtable());

        Assert.Throws<OptionException>(() => NodeOptionTable.Parse(Args(maximum + 1), new Hashtable()));
    }
}
