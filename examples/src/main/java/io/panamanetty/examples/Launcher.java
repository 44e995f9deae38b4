package io.panamanetty.examples;

/** One entry point for the example programs: {@code java -jar panama-netty-examples.jar <program> [options]}. */
public final class Launcher {
    private Launcher() {
    }

    /** Runs the program named by the first argument. */
    public static void main(String[] args) throws Exception {
        String program = args.length == 0 ? "--help" : args[0];
        switch (program) {
            case "echo-server" -> System.out.println("echo-server: not implemented yet");
            default -> {
                System.out.println("usage: <program> [options]; programs: echo-server");
                if (!program.equals("--help")) {
                    System.exit(2);
                }
            }
        }
    }
}
