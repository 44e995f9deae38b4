package io.panamanetty.channel;

/**
 * A base class for handlers: every callback passes the event on. Extend it and
 * override what you need, as in py-netty and Netty.
 */
public abstract class ChannelHandlerAdapter implements ChannelHandler {

    /** For subclasses. */
    protected ChannelHandlerAdapter() {
    }
}
