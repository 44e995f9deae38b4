package io.panamanetty.benchmarks.timer;

import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How late an idle event loop runs its timers: for each delay, a chain of timers (each
 * scheduled by the one before, so the loop sleeps in between) whose lateness, the time
 * from its deadline to when it ran on {@link System#nanoTime()}, is printed as
 * p50/p99/max.
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -cp core.jar:bindings.jar:benchmarks.jar \
 *     io.panamanetty.benchmarks.timer.TimerLateness [--timers N] [--warmup N]
 * }</pre>
 * The delays are 50 µs, 200 µs and 1 ms; 10,000 timers each by default, after 1,000
 * unmeasured ones.
 */
public final class TimerLateness {
    private static final long[] DELAYS_NANOS = {50_000, 200_000, 1_000_000};

    private TimerLateness() {
    }

    /** Prints one line per delay; exits 2 on a bad option. */
    public static void main(String[] args) throws InterruptedException {
        int timers = 10_000;
        int warmUp = 1_000;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if ((option.equals("--timers") || option.equals("--warmup")) && i + 1 < args.length
                    && args[i + 1].matches("\\d{1,9}")) {
                int value = Integer.parseInt(args[++i]);
                if (option.equals("--timers")) {
                    timers = Math.max(1, value);
                } else {
                    warmUp = value;
                }
            } else {
                System.err.println("usage: TimerLateness [--timers N] [--warmup N] (bad option: " + option + ")");
                System.exit(2);
            }
        }
        System.out.printf("%-10s %7s %11s %11s %11s%n", "delay", "timers", "p50 late", "p99 late", "max late");
        try (EventLoopGroup group = new EventLoopGroup(1, "timers")) {
            EventLoop loop = group.next();
            for (long delay : DELAYS_NANOS) {
                run(loop, delay, warmUp);
                long[] late = run(loop, delay, timers);
                Arrays.sort(late);
                System.out.printf("%-10s %7d %11s %11s %11s%n", micros(delay), timers,
                        micros(late[late.length / 2]), micros(late[(int) (late.length * 0.99)]),
                        micros(late[late.length - 1]));
            }
        }
    }

    /** Runs a chain of {@code count} timers of {@code delayNanos} on {@code loop}; their lateness in ns. */
    private static long[] run(EventLoop loop, long delayNanos, int count) throws InterruptedException {
        long[] late = new long[count];
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(new Runnable() {
            private int ran;
            private long deadline;

            @Override
            public void run() {
                if (deadline != 0) {
                    late[ran++] = System.nanoTime() - deadline;
                }
                if (ran == count) {
                    done.countDown();
                    return;
                }
                deadline = System.nanoTime() + delayNanos;
                loop.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
            }
        });
        if (!done.await(10 * 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the timers did not finish in 10 minutes");
        }
        return late;
    }

    private static String micros(long nanos) {
        return String.format("%.1f µs", nanos / 1_000.0);
    }
}
