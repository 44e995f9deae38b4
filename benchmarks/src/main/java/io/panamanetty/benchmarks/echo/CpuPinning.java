package io.panamanetty.benchmarks.echo;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Pins the harness (every thread, and every thread it starts later) to CPU 0 with
 * {@code taskset}. On the 2-vCPU machines this runs on, a thread woken on the other
 * CPU starts late and erratically; with client and server on one CPU, a round trip is
 * a pair of context switches and the figures are steady.
 */
public final class CpuPinning {
    private CpuPinning() {
    }

    /** True if {@code taskset} exists and pinned this process; false (with a note) otherwise. */
    public static boolean pinThisProcess() {
        String pid = Long.toString(ProcessHandle.current().pid());
        try {
            Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", "0", pid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (taskset.waitFor(10, TimeUnit.SECONDS) && taskset.exitValue() == 0) {
                return true;
            }
            taskset.destroyForcibly();
            System.out.println("taskset could not pin the harness; running unpinned");
        } catch (IOException e) {
            System.out.println("taskset is not available; running unpinned");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
