package io.panamanetty.tls;

import io.panamanetty.channel.ChannelHandlerContext;

import javax.net.ssl.SSLEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs an {@link SSLEngine}'s delegated (CPU-heavy) tasks on a virtual thread, off the event
 * loop, and reports back on the event loop when they are done. At most one batch runs at a
 * time; while it does, the engine must not be driven on.
 */
final class DelegatedTasks {
    /** Told on the event loop that a batch has finished. */
    interface Listener {
        /** @param error what a task threw, or null if they all ran */
        void tasksDone(ChannelHandlerContext ctx, Throwable error);
    }

    private final SSLEngine engine;
    private final Listener listener;
    private boolean running;

    DelegatedTasks(SSLEngine engine, Listener listener) {
        this.engine = engine;
        this.listener = listener;
    }

    /** {@return whether a batch is running} */
    boolean running() {
        return running;
    }

    /** Takes the engine's pending tasks, if any, and starts running them. */
    void start(ChannelHandlerContext ctx) {
        List<Runnable> tasks = new ArrayList<>();
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            tasks.add(task);
        }
        if (tasks.isEmpty()) {
            return;
        }
        running = true;
        Thread.ofVirtual().name("tls-task-" + ctx.channel().id()).start(() -> {
            Throwable error = null;
            try {
                for (Runnable t : tasks) {
                    t.run();
                }
            } catch (Throwable t) {
                error = t;
            }
            Throwable taskError = error;
            try {
                ctx.eventLoop().execute(() -> {
                    running = false;
                    listener.tasksDone(ctx, taskError);
                });
            } catch (RejectedExecutionException e) {
                // the event loop is gone, and the channel with it
            }
        });
    }
}
