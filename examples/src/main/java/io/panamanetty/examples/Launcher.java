package io.panamanetty.examples;

import java.util.Arrays;

/** One entry point for the example programs: {@code java -jar panama-netty-examples.jar <program> [options]}. */
public final class Launcher {
    /** The name the launcher's own messages start with. */
    static final String NAME = "panama-netty-examples";
    static final String USAGE = """
            usage: java -jar panama-netty-examples.jar PROGRAM [OPTIONS]
              echo-server      echoes every byte back to its sender, over TCP, a Unix socket or TLS
              echo-client      sends messages to an echo server, checks every echoed byte and
                               prints the round-trip times (--udp: datagrams to a UDP echo server)
              udp-echo-server  sends every UDP datagram back, whole, to its sender
              forward          forwards TCP (or Unix socket) connections to an upstream, both ways
              http-get         sends one HTTP GET and prints the response
              serve-file       serves the files of a directory over HTTP/1.1, with sendfile(2)
              --help           this text; PROGRAM --help lists the options of a program
            """;

    private Launcher() {
    }

    private static String[] rest(String[] args) {
        return Arrays.copyOfRange(args, 1, args.length);
    }

    /** The format of a log record: one line, level, logger name, message (then a throwable's trace, if any). */
    static final String LOG_FORMAT = "%4$s %3$s: %5$s%6$s%n";

    /** Runs the program named by the first argument; an unknown name exits with status 2. */
    public static void main(String[] args) throws Exception {
        oneLineLogRecords();
        String program = args.length == 0 ? "--help" : args[0];
        switch (program) {
            case "echo-server" -> EchoServer.main(rest(args));
            case "echo-client" -> EchoClient.main(rest(args));
            case "udp-echo-server" -> UdpEchoServer.main(rest(args));
            case "forward" -> Forwarder.main(rest(args));
            case "http-get" -> HttpGet.main(rest(args));
            case "serve-file" -> ServeFile.main(rest(args));
            case "--help" -> System.out.print(USAGE);
            default -> {
                System.exit(CommandLine.usageError(NAME, new IllegalArgumentException("unknown program '" + program
                        + "'; the programs are echo-server, echo-client, udp-echo-server, forward, http-get"
                        + " and serve-file (--help says more)"),
                        System.err));
            }
        }
    }

    /**
     * The programs' logging (the library's {@code System.Logger} records, through
     * {@code java.util.logging}): one line per record, naming its logger, instead of the JDK's
     * two-line default, unless the user chose a format. Only the programs do this: the library
     * leaves the JVM's logging set-up alone.
     */
    static void oneLineLogRecords() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
    }
}
