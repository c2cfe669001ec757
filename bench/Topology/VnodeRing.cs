using System.IO.Hashing;
using System.Text;

namespace KubeCache.Topology.Bench;

/// <summary>
/// The alternative to rendezvous hashing, kept here only to measure against it: a consistent
/// hash ring with <c>vnodes</c> points per member (XXH64 of the name, seeded by the point's
/// number) and a binary search for the first point at or after the key's hash.
/// </summary>
internal sealed class VnodeRing
{
    private readonly ulong[] _points;
    private readonly int[] _owners;

    public VnodeRing(IReadOnlyList<string> names, int vnodes)
    {
        var points = new List<(ulong Point, int Owner)>(names.Count * vnodes);
        for (int member = 0; member < names.Count; member++)
        {
            byte[] name = Encoding.UTF8.GetBytes(names[member]);
            for (int i = 0; i < vnodes; i++)
            {
                points.Add((XxHash64.HashToUInt64(name, i), member));
            }
        }

        // Ties (vanishingly rare) go to the member listed first, whatever the order of the points.
        points.Sort((a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : a.Owner.CompareTo(b.Owner));
        _points = [.. points.Select(p => p.Point)];
        _owners = [.. points.Select(p => p.Owner)];
    }

    public int OwnerIndexOfHash(ulong keyHash)
    {
        ulong[] points = _points;
        int low = 0;
        int high = points.Length;
        while (low < high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            if (points[middle] < keyHash)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return _owners[low == points.Length ? 0 : low];
    }
}
