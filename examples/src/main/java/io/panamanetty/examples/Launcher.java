package io.panamanetty.examples;

/** One entry point for the example programs: {@code java -jar panama-netty-examples.jar <program> [options]}. */
public final class Launcher {
    private Launcher() {
    }

    private static String[] rest(String[] args) {
        return java.util.Arrays.copyOfRange(args, 1, args.length);
    }

    /** Runs the program named by the first argument. */
    public static void main(String[] args) throws Exception {
        String program = args.length == 0 ? "--help" : args[0];
        switch (program) {
            case "echo-server" -> EchoServer.main(rest(args));
            case "echo-client" -> EchoClient.main(rest(args));
            case "forward" -> Forwarder.main(rest(args));
            case "http-get" -> HttpGet.main(rest(args));
            default -> {
                System.out.println("usage: <program> [options]; programs: echo-server, echo-client, forward, http-get"
                        + " (each takes --help)");
                if (!program.equals("--help")) {
                    System.exit(2);
                }
            }
        }
    }
}
