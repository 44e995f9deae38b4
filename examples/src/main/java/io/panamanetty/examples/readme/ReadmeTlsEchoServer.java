package io.panamanetty.examples.readme;

import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.bootstrap.ServerBootstrap;

import java.nio.file.Path;

/**
 * py-netty:
 * {@code ServerBootstrap(certfile='/path/to/cert/file', keyfile='/path/to/cert/file').bind(address='0.0.0.0', port=9443).close_future().sync()}
 */
public final class ReadmeTlsEchoServer {
    private ReadmeTlsEchoServer() {
    }

    /**
     * Arguments: the PEM certificate file, the PEM key file (may be the same file) and
     * optionally the port (default 9443). Serves TLS echo until the server closes.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: ReadmeTlsEchoServer CERTFILE KEYFILE [PORT]");
            System.exit(2);
        }
        Path certfile = Path.of(args[0]);
        Path keyfile = Path.of(args[1]);
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 9443;
        new ServerBootstrap().tls(certfile, keyfile).bind("0.0.0.0", port).closeFuture().sync();
    }

    /** The same server, bound on {@code host}, returned instead of waited on (for tests). */
    static ChannelFuture start(String host, int port, Path certfile, Path keyfile) {
        return new ServerBootstrap().tls(certfile, keyfile).bind(host, port);
    }
}
