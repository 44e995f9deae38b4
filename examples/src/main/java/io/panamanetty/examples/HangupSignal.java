package io.panamanetty.examples;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Runs an action when the process receives {@code SIGHUP}, through the JDK's
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}), reached by reflection so that the
 * build does not warn about a proprietary API. Catching {@code SIGHUP} also stops it from
 * shutting the JVM down, which is what it does by default.
 */
final class HangupSignal {
    private HangupSignal() {
    }

    /**
     * Calls {@code action} (on the JDK's signal thread) at each {@code SIGHUP}.
     *
     * @throws UnsupportedOperationException saying why, if the signal cannot be caught here
     *                                       (no {@code jdk.unsupported}, {@code -Xrs}, the signal ignored)
     */
    static void onHangup(Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance("HUP");
            Object handler = Proxy.newProxyInstance(HangupSignal.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            action.run();
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "SIGHUP handler";
                        };
                    });
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            handle.invoke(null, signal, handler);
        } catch (InvocationTargetException e) {
            throw new UnsupportedOperationException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new UnsupportedOperationException(e.toString(), e);
        }
    }
}
