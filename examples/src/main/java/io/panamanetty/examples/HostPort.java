package io.panamanetty.examples;

/**
 * A {@code HOST:PORT} option value; an IPv6 literal goes in brackets, {@code [::1]:8080}.
 *
 * @param host a name or a literal address, without brackets
 * @param port 0 to 65535
 */
record HostPort(String host, int port) {

    /**
     * Parses {@code text}.
     *
     * @param option the option it came from, for the message
     * @throws IllegalArgumentException if it is not {@code HOST:PORT}
     */
    static HostPort parse(String option, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(option + " needs HOST:PORT, not '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException(option + ": write an IPv6 address in brackets, as [::1]:8080, not '"
                    + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a numeric port, not '" + text + "'");
        }
        if (host.isEmpty() || port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " needs HOST:PORT with a port of 0 to 65535, not '"
                    + text + "'");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
