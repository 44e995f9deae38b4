package io.panamanetty.examples;

import io.panamanetty.bootstrap.AutoIoHandlerFactory;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.transport.epoll.EpollIoHandlerFactory;
import io.panamanetty.transport.uring.IoUringIoHandlerFactory;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} and {@code --flag} options of an example program, with the range
 * checks the programs share. Every problem is an {@link IllegalArgumentException} whose message
 * says, in one line, what is wrong; {@link #usageError} prints it as {@code program: message}
 * and gives the exit status for bad usage, 2.
 */
final class CommandLine {
    /** The exit status of a program given bad options. */
    static final int USAGE_ERROR = 2;
    /** The most worker threads a program starts: more only costs memory and file descriptors. */
    static final int MAX_WORKERS = 1024;

    private final Map<String, String> values = new HashMap<>();
    private final List<String> arguments = new ArrayList<>();

    private CommandLine() {
    }

    /**
     * Parses {@code args}, which may hold no argument that is not an option.
     *
     * @param withValue the options that take a value
     * @param flags the options that don't
     * @throws IllegalArgumentException naming an unknown option, a missing value or an argument
     */
    static CommandLine parse(String[] args, Set<String> withValue, Set<String> flags) {
        return parse(args, withValue, flags, 0);
    }

    /**
     * Parses {@code args}; up to {@code maxArguments} of them, anywhere among the options, may be
     * arguments (words that do not start with {@code -}).
     *
     * @param withValue the options that take a value
     * @param flags the options that don't
     * @throws IllegalArgumentException naming an unknown option, a missing value or an argument too many
     */
    static CommandLine parse(String[] args, Set<String> withValue, Set<String> flags, int maxArguments) {
        CommandLine line = new CommandLine();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (flags.contains(arg)) {
                line.values.put(arg, "true");
            } else if (withValue.contains(arg)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                line.values.put(arg, args[++i]);
            } else if (arg.startsWith("-") || arg.isEmpty()) {
                throw new IllegalArgumentException("unknown option '" + arg + "'");
            } else if (line.arguments.size() < maxArguments) {
                line.arguments.add(arg);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
        }
        return line;
    }

    /** The arguments that were not options, in order. */
    List<String> arguments() {
        return List.copyOf(arguments);
    }

    boolean has(String option) {
        return values.containsKey(option);
    }

    String get(String option, String fallback) {
        return values.getOrDefault(option, fallback);
    }

    /**
     * The value of {@code option} as a whole number, {@code fallback} if it was not given.
     *
     * @throws IllegalArgumentException if it is not a number
     */
    int getInt(String option, int fallback) {
        return getInt(option, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /**
     * The value of {@code option} as a whole number from {@code min} to {@code max},
     * {@code fallback} (not checked) if it was not given.
     *
     * @throws IllegalArgumentException saying the range if it is not a number in it
     */
    int getInt(String option, int fallback, int min, int max) {
        String value = values.get(option);
        if (value == null) {
            return fallback;
        }
        long number;
        try {
            number = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            number = Long.MIN_VALUE;   // not a number, or one too big for a long: out of any range
        }
        if (number < min || number > max) {
            String range = range(min, max);
            throw new IllegalArgumentException(option + " needs a number" + (range.isEmpty() ? "" : " " + range)
                    + ", not '" + value + "'");
        }
        return (int) number;
    }

    /**
     * The value of a port option, {@code fallback} if it was not given.
     *
     * @param zeroMeansAny true where 0 asks for any free port (a listening port)
     * @throws IllegalArgumentException if it is not a number from 0 (or 1) to 65535
     */
    int getPort(String option, int fallback, boolean zeroMeansAny) {
        return getInt(option, fallback, zeroMeansAny ? 0 : 1, 65535);
    }

    /** The help text's line for {@code --transport}. */
    static final String TRANSPORT_HELP = """
              --transport     epoll (the default), io_uring, or auto: io_uring where this
                              kernel and process allow it, else epoll (saying why, once)
            """;

    /**
     * The loops' transport named by {@code --transport}: epoll (also when not given),
     * io_uring, or auto ({@link AutoIoHandlerFactory}). io_uring has no Unix domain sockets:
     * with {@code unix}, auto means epoll and io_uring is refused.
     *
     * @throws IllegalArgumentException for another name, or io_uring with a Unix socket
     */
    IoHandlerFactory getTransport(boolean unix) {
        String name = get("--transport", "epoll");
        return switch (name) {
            case "epoll" -> new EpollIoHandlerFactory();
            case "io_uring" -> {
                if (unix) {
                    throw new IllegalArgumentException("--transport io_uring has no Unix domain sockets: use epoll"
                            + " (or auto) with a unix: address");
                }
                yield new IoUringIoHandlerFactory();
            }
            case "auto" -> unix ? new EpollIoHandlerFactory() : new AutoIoHandlerFactory();
            default -> throw new IllegalArgumentException("--transport takes epoll, io_uring or auto, not '" + name + "'");
        };
    }

    /**
     * The value of {@code --workers}, one per processor if it was not given.
     *
     * @throws IllegalArgumentException if it is not a number from 1 to {@link #MAX_WORKERS}
     */
    int getWorkers() {
        return getInt("--workers", Math.min(MAX_WORKERS, Runtime.getRuntime().availableProcessors()), 1,
                MAX_WORKERS);
    }

    private static String range(int min, int max) {
        if (max == Integer.MAX_VALUE) {
            return min == Integer.MIN_VALUE ? "" : "of at least " + min;
        }
        return min == Integer.MIN_VALUE ? "of at most " + max : "from " + min + " to " + max;
    }

    /**
     * Prints what is wrong with the command line, in one line, as {@code program: message}.
     *
     * @return {@link #USAGE_ERROR}, the exit status for bad usage
     */
    static int usageError(String program, IllegalArgumentException problem, PrintStream err) {
        err.println(program + ": " + problem.getMessage());
        return USAGE_ERROR;
    }
}
