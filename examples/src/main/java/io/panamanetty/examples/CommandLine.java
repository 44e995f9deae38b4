package io.panamanetty.examples;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} and {@code --flag} options of an example program.
 */
final class CommandLine {
    private final Map<String, String> values = new HashMap<>();

    private CommandLine() {
    }

    /**
     * Parses {@code args}.
     *
     * @param withValue the options that take a value
     * @param flags the options that don't
     * @throws IllegalArgumentException naming an unknown option or a missing value
     */
    static CommandLine parse(String[] args, Set<String> withValue, Set<String> flags) {
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
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return line;
    }

    boolean has(String option) {
        return values.containsKey(option);
    }

    String get(String option, String fallback) {
        return values.getOrDefault(option, fallback);
    }

    int getInt(String option, int fallback) {
        String value = values.get(option);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, not '" + value + "'");
        }
    }
}
