package io.panamanetty.examples.readme;

import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;

/**
 * py-netty's "Event-driven callbacks" example: a handler with every callback. Each
 * default passes the event on; override only what you need.
 */
public class ReadmeCallbacks extends ChannelHandlerAdapter {

    /** For the bootstrap's handler factory: {@code .handler(ReadmeCallbacks::new)}. */
    public ReadmeCallbacks() {
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // invoked when channel is active (TCP connection ready)
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // invoked when there is data ready to process (msg is a Buffer,
        // released by the framework when this returns unless passed on or retained)
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // invoked when channel is inactive (TCP connection is broken)
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        // invoked when the channel is registered with an event loop
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        // invoked when the channel is unregistered from an event loop
    }

    @Override
    public void channelHandshakeComplete(ChannelHandlerContext ctx) {
        // invoked when the TLS handshake is complete
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // invoked when channel.isWritable() changes (the send queue passed a water mark)
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable exception) {
        // invoked when there is any exception raised during process
    }
}
