using System.Buffers;
using System.Diagnostics.Metrics;
using System.Net;
using KubeCache.Protocol;
using KubeCache.Security.Keys;
using KubeCache.Security.Resp;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeCache.Security.Tests;

public sealed class RespAuthGateTests : IDisposable
{
    private static readonly IPAddress Client = IPAddress.Parse("10.1.2.3");
    private readonly ApiKeyStore _keys = new(ApiKeyStoreTests.WriteKeys("good-key\n"), TimeSpan.FromHours(1), NullLogger.Instance);
    private readonly RespAuthGate _gate;
    private readonly RespCommand _command = new();

    public RespAuthGateTests()
    {
        _gate = new RespAuthGate(new ApiKeyAuthenticator(_keys, new AuthFailureLimiter(3, TimeSpan.FromMinutes(1), new ManualTime()), meter: null));
    }

    [Theory]
    [InlineData("GET", "k")]
    [InlineData("PING")]
    [InlineData("SET", "k", "v")]
    public void Check_CommandBeforeAuth_GetsNoAuth(params string[] command)
    {
        bool authenticated = false;

        RespAuthStep step = _gate.Check(Read(command), ref authenticated, Client, out RespValue? reply);

        Assert.Equal(RespAuthStep.Reply, step);
        Assert.Equal("NOAUTH Authentication required.", reply!.AsString());
        Assert.False(authenticated);
    }

    [Theory]
    [InlineData("AUTH", "good-key")]
    [InlineData("AUTH", "default", "good-key")]
    [InlineData("auth", "DEFAULT", "good-key")]
    public void Check_AuthWithTheKey_RepliesOkAndAuthenticates(params string[] command)
    {
        bool authenticated = false;

        RespAuthStep step = _gate.Check(Read(command), ref authenticated, Client, out RespValue? reply);

        Assert.Equal((RespAuthStep.Reply, "OK"), (step, reply!.AsString()));
        Assert.True(authenticated);
        Assert.Equal(RespAuthStep.Run, _gate.Check(Read("GET", "k"), ref authenticated, Client, out _));
    }

    [Theory]
    [InlineData("AUTH", "bad-key")]
    [InlineData("AUTH", "admin", "good-key")]
    [InlineData("HELLO", "2", "AUTH", "default", "bad-key")]
    [InlineData("HELLO", "2", "AUTH", "someone", "good-key")]
    public void Check_WrongKeyOrUser_GetsWrongPass(params string[] command)
    {
        bool authenticated = false;

        RespAuthStep step = _gate.Check(Read(command), ref authenticated, Client, out RespValue? reply);

        Assert.Equal(RespAuthStep.Reply, step);
        Assert.StartsWith("WRONGPASS invalid username-password pair", reply!.AsString(), StringComparison.Ordinal);
        Assert.False(authenticated);
    }

    [Fact]
    public void Check_HelloWithAuth_RunsHelloAuthenticated()
    {
        bool authenticated = false;

        RespAuthStep step = _gate.Check(Read("HELLO", "2", "SETNAME", "app", "AUTH", "default", "good-key"), ref authenticated, Client, out _);

        Assert.Equal(RespAuthStep.Run, step);
        Assert.True(authenticated);
    }

    [Fact]
    public void Check_HelloWithoutAuthOrQuit_FollowsRedis()
    {
        bool authenticated = false;

        Assert.Equal(RespAuthStep.Reply, _gate.Check(Read("HELLO", "2"), ref authenticated, Client, out RespValue? hello));
        Assert.StartsWith("NOAUTH HELLO must be called", hello!.AsString(), StringComparison.Ordinal);
        Assert.Equal(RespAuthStep.Run, _gate.Check(Read("QUIT"), ref authenticated, Client, out _));
    }

    [Fact]
    public void Check_TooManyFailures_RefusesEvenTheRightKeyAndCloses()
    {
        bool authenticated = false;
        _gate.Check(Read("AUTH", "bad1"), ref authenticated, Client, out _);
        _gate.Check(Read("AUTH", "bad2"), ref authenticated, Client, out _);

        RespAuthStep third = _gate.Check(Read("AUTH", "bad3"), ref authenticated, Client, out RespValue? reply);
        RespAuthStep afterwards = _gate.Check(Read("AUTH", "good-key"), ref authenticated, Client, out _);

        Assert.Equal((RespAuthStep.ReplyAndClose, "ERR too many failed authentication attempts"), (third, reply!.AsString()));
        Assert.Equal(RespAuthStep.ReplyAndClose, afterwards);
        Assert.False(authenticated);
        Assert.Equal(RespAuthStep.Reply, _gate.Check(Read("AUTH", "good-key"), ref authenticated, IPAddress.Parse("10.9.9.9"), out _));
    }

    [Fact]
    public void Check_Failures_AreCountedByProtocol()
    {
        using var meter = new Meter("test.auth." + Guid.NewGuid());
        var gate = new RespAuthGate(new ApiKeyAuthenticator(_keys, new AuthFailureLimiter(0, TimeSpan.FromMinutes(1), new ManualTime()), meter));
        long failures = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter && instrument.Name == "kvcache.auth.failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            Assert.Equal("resp", tags[0].Value);
            failures += value;
        });
        listener.Start();
        bool authenticated = false;

        gate.Check(Read("AUTH", "bad"), ref authenticated, Client, out _);
        gate.Check(Read("AUTH", "good-key"), ref authenticated, Client, out _);
        gate.Check(Read("HELLO", "2", "AUTH", "default", "bad"), ref authenticated, Client, out _);

        Assert.Equal(2, failures);
    }

    [Fact]
    public void Check_AuthenticationOff_RunsEverything()
    {
        using var off = new ApiKeyStore(null, TimeSpan.FromHours(1), NullLogger.Instance);
        var gate = new RespAuthGate(new ApiKeyAuthenticator(off, new AuthFailureLimiter(3, TimeSpan.FromMinutes(1), new ManualTime()), null));
        bool authenticated = false;

        Assert.Equal(RespAuthStep.Run, gate.Check(Read("GET", "k"), ref authenticated, Client, out _));
        Assert.Equal(RespAuthStep.Run, gate.Check(Read("AUTH", "x"), ref authenticated, Client, out _));
    }

    public void Dispose()
    {
        _command.Dispose();
        _keys.Dispose();
    }

    private RespCommand Read(params string[] arguments)
    {
        var bytes = new ArrayBufferWriter<byte>();
        RespCommandWriter.Write(bytes, arguments);
        var buffer = new ReadOnlySequence<byte>(bytes.WrittenMemory);
        Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref buffer, new RespLimits(), _command, out _));
        return _command;
    }
}
