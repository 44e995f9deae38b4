package io.panamanetty.channel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Collects what is logged through {@code java.util.logging} (the backend of
 * {@link System.Logger}) while open. Reflective, as the test classes are compiled
 * into the core module, which does not read {@code java.logging}.
 */
public final class JulCapture implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Object handler;
    private final Object root;
    private final Class<?> loggerClass;
    private final Class<?> handlerClass;

    public JulCapture() throws ReflectiveOperationException {
        loggerClass = Class.forName("java.util.logging.Logger");
        handlerClass = Class.forName("java.util.logging.Handler");
        Class<?> formatterClass = Class.forName("java.util.logging.Formatter");
        Object formatter = Class.forName("java.util.logging.SimpleFormatter").getConstructor().newInstance();
        handler = Class.forName("java.util.logging.StreamHandler")
                .getConstructor(OutputStream.class, formatterClass).newInstance(out, formatter);
        root = loggerClass.getMethod("getLogger", String.class).invoke(null, "");
        loggerClass.getMethod("addHandler", handlerClass).invoke(root, handler);
    }

    public String text() throws ReflectiveOperationException {
        handlerClass.getMethod("flush").invoke(handler);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@return the text logged so far, once it contains {@code expected} or after {@code millis}} */
    public String awaitText(String expected, long millis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        String text = text();
        while (!text.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            text = text();
        }
        return text;
    }

    @Override
    public void close() throws ReflectiveOperationException {
        loggerClass.getMethod("removeHandler", handlerClass).invoke(root, handler);
        handlerClass.getMethod("close").invoke(handler);
    }
}
