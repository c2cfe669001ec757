namespace KubeCache.FakeApiServer.Table;

/// <summary>Ages as kubectl prints them ("45s", "3m20s", "5h", "12d").</summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 0)
        {
            return "0s";
        }
        var minutes = seconds / 60;
        var hours = minutes / 60;
        var days = hours / 24;
        return seconds switch
        {
            < 120 => $"{seconds}s",
            _ when minutes < 10 => seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s",
            _ when minutes < 180 => $"{minutes}m",
            _ when hours < 8 => minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m",
            _ when hours < 48 => $"{hours}h",
            _ when hours < 24 * 8 => hours % 24 == 0 ? $"{days}d" : $"{days}d{hours % 24}h",
            _ when days < 365 * 2 => $"{days}d",
            _ when days < 365 * 8 => days % 365 == 0 ? $"{days / 365}y" : $"{days / 365}y{days % 365}d",
            _ => $"{days / 365}y",
        };
    }
}
