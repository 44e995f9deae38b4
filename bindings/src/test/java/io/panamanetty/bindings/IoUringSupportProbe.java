package io.panamanetty.bindings;

/** Prints what {@link IoUringSupport#detect()} finds: the program {@link IoUringRefusedTest} runs. */
final class IoUringSupportProbe {
    private IoUringSupportProbe() {
    }

    public static void main(String[] args) {
        System.out.println(IoUringSupport.detect());
    }
}
