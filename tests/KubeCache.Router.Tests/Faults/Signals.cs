using System.Diagnostics;

namespace KubeCache.Router.Tests.Faults;

/// <summary>Sends POSIX signals with the real <c>kill</c>, as an operator at a shell would.</summary>
internal static class Signals
{
    public static Task StopAsync(int pid) => SendAsync("-STOP", pid);

    public static Task ContinueAsync(int pid) => SendAsync("-CONT", pid);

    public static Task KillAsync(int pid) => SendAsync("-KILL", pid);

    private static async Task SendAsync(string signal, int pid)
    {
        using Process kill = Process.Start(new ProcessStartInfo("kill", [signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"kill {signal} {pid} exited with {kill.ExitCode}");
    }
}
