using System.Net;
using KubeCache.Protocol;
using KubeCache.Security.Keys;

namespace KubeCache.Security.Resp;

/// <summary>
/// Redis's authentication rules for RESP connections, shared by node and router: until a
/// connection authenticates with <c>AUTH [default] key</c> or <c>HELLO 2 AUTH default key</c>,
/// only AUTH, HELLO and QUIT run and everything else gets <c>-NOAUTH</c>. Only the user
/// <c>default</c> exists.
/// </summary>
public sealed class RespAuthGate(ApiKeyAuthenticator authenticator)
{
    public static readonly RespValue NoAuth = RespValue.Error("NOAUTH Authentication required.");

    public static readonly RespValue WrongPass = RespValue.Error("WRONGPASS invalid username-password pair or user is disabled.");

    public static readonly RespValue HelloNoAuth = RespValue.Error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");

    public static readonly RespValue TooManyFailures = RespValue.Error("ERR too many failed authentication attempts");

    private static readonly RespValue AuthArity = RespValue.Error("ERR wrong number of arguments for 'auth' command");

    /// <summary>True when a keys file is configured; a connection then starts unauthenticated.</summary>
    public bool Enabled => authenticator.Enabled;

    /// <summary>
    /// Decides whether <paramref name="command"/> may run on a connection in state
    /// <paramref name="authenticated"/>, authenticating it when the command is AUTH or HELLO … AUTH.
    /// A HELLO whose AUTH succeeded is run, and its handler skips the AUTH arguments.
    /// </summary>
    /// <param name="command">The command just read.</param>
    /// <param name="authenticated">The connection's state; set to true by a successful AUTH.</param>
    /// <param name="remote">The client's address, for the failure limit.</param>
    /// <param name="reply">The reply to send when the step is not <see cref="RespAuthStep.Run"/>.</param>
    public RespAuthStep Check(RespCommand command, ref bool authenticated, IPAddress? remote, out RespValue? reply)
    {
        reply = null;
        if (!Enabled)
        {
            return RespAuthStep.Run;
        }

        if (command.NameIs("AUTH"u8))
        {
            if (command.Count is < 2 or > 3)
            {
                reply = AuthArity;
                return RespAuthStep.Reply;
            }

            RespAuthStep step = Authenticate(command, command.Count - 2, ref authenticated, remote, out reply);
            reply ??= RespValue.Ok;
            return step == RespAuthStep.Run ? RespAuthStep.Reply : step;
        }

        if (command.NameIs("HELLO"u8))
        {
            int auth = FindHelloAuth(command);
            if (auth > 0)
            {
                return Authenticate(command, auth + 1, ref authenticated, remote, out reply);
            }

            reply = authenticated ? null : HelloNoAuth;
            return authenticated ? RespAuthStep.Run : RespAuthStep.Reply;
        }

        if (authenticated || command.NameIs("QUIT"u8))
        {
            return RespAuthStep.Run;
        }

        reply = NoAuth;
        return RespAuthStep.Reply;
    }

    /// <summary>The index of AUTH among HELLO's options when it is followed by a user and a key, else 0.</summary>
    public static int FindHelloAuth(RespCommand command)
    {
        for (int i = 2; i < command.Count; i++)
        {
            if (command.ArgumentIs(i, "AUTH"u8) && i + 2 < command.Count)
            {
                return i;
            }

            if (command.ArgumentIs(i, "SETNAME"u8))
            {
                i++;
            }
        }

        return 0;
    }

    /// <remarks><paramref name="user"/> is the index of the user name, or 0 when only a key was given.</remarks>
    private RespAuthStep Authenticate(RespCommand command, int user, ref bool authenticated, IPAddress? remote, out RespValue? reply)
    {
        reply = null;
        int keyIndex = user == 0 ? 1 : user + 1;
        bool knownUser = user == 0 || command.ArgumentIs(user, "DEFAULT"u8);
        ReadOnlySpan<byte> key = knownUser ? command[keyIndex] : default;
        switch (authenticator.Check(key, remote, "resp"))
        {
            case AuthResult.Accepted:
                authenticated = true;
                return RespAuthStep.Run;
            case AuthResult.Limited:
                reply = TooManyFailures;
                return RespAuthStep.ReplyAndClose;
            default:
                reply = WrongPass;
                return RespAuthStep.Reply;
        }
    }
}
