package io.panamanetty.handler;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Logs every event and operation passing through it via {@link System.Logger}, with a
 * hex dump of buffers, and passes everything on unchanged. Logs nothing unless the
 * logger is enabled for the chosen level, so it costs little when quiet.
 */
@ChannelHandler.Sharable
public class LoggingHandler implements ChannelHandler {
    private final Logger logger;
    private final Level level;

    /** Logs at {@link Level#DEBUG} to the logger named after this class. */
    public LoggingHandler() {
        this(LoggingHandler.class.getName(), Level.DEBUG);
    }

    /**
     * @param loggerName the {@link System.Logger} to log to
     * @param level the level of every record
     */
    public LoggingHandler(String loggerName, Level level) {
        this.logger = System.getLogger(loggerName);
        this.level = level;
    }

    private void log(ChannelHandlerContext ctx, String event) {
        if (logger.isLoggable(level)) {
            logger.log(level, ctx.channel() + " " + event);
        }
    }

    private void log(ChannelHandlerContext ctx, String event, Object message) {
        if (logger.isLoggable(level)) {
            String detail = message instanceof Buffer buffer ? HexDump.dump(buffer) : String.valueOf(message);
            logger.log(level, ctx.channel() + " " + event + ": " + detail);
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        log(ctx, "REGISTERED");
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        log(ctx, "UNREGISTERED");
        ctx.fireChannelUnregistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        log(ctx, "ACTIVE");
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        log(ctx, "INACTIVE");
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        log(ctx, "READ", message);
        ctx.fireChannelRead(message);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        log(ctx, "READ COMPLETE");
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        log(ctx, "WRITABILITY CHANGED: " + ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        log(ctx, "USER EVENT", event);
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (logger.isLoggable(level)) {
            logger.log(level, ctx.channel() + " EXCEPTION", cause);
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelHandshakeComplete(ChannelHandlerContext ctx) {
        log(ctx, "HANDSHAKE_COMPLETE");
        ctx.fireChannelHandshakeComplete();
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        log(ctx, "READ_REQUEST");
        ctx.read();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        log(ctx, "WRITE", message);
        ctx.write(message, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        log(ctx, "FLUSH");
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        log(ctx, "CLOSE");
        ctx.close(promise);
    }
}
