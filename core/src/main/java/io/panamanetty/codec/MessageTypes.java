package io.panamanetty.codec;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Finds the message type a codec subclass declares as its type argument, so that
 * {@code class IntEncoder extends MessageToByteEncoder<Integer>} handles {@code Integer}s
 * without naming the class twice.
 */
final class MessageTypes {
    private MessageTypes() {
    }

    /**
     * {@return the class given as type argument to {@code base} by {@code subclass} or a class
     * between them} (its raw class if the argument is itself generic).
     *
     * @throws IllegalStateException if the argument is a type variable or missing (a raw
     *                               subclass); such a codec must pass the class to its constructor
     */
    static Class<?> declared(Class<?> subclass, Class<?> base) {
        Class<?> type = subclass;
        while (type.getSuperclass() != null && type.getSuperclass() != base) {
            type = type.getSuperclass();
        }
        Type superType = type.getGenericSuperclass();
        if (type.getSuperclass() == base && superType instanceof ParameterizedType parameterized) {
            Type argument = parameterized.getActualTypeArguments()[0];
            if (argument instanceof Class<?> c) {
                return c;
            }
            if (argument instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
                return raw;
            }
        }
        throw new IllegalStateException("cannot tell the message type of " + subclass.getName() + " from its "
                + base.getSimpleName() + " type argument; pass the class to the constructor instead");
    }
}
