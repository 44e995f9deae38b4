/**
 * Codecs: handlers that turn a channel's bytes into messages and back.
 *
 * <h2>Decoding</h2>
 * {@link io.panamanetty.codec.ByteToMessageDecoder} gathers the buffers read from a socket,
 * however the stream was cut, and hands them to a {@code decode} method until no more whole
 * messages are left. The frame decoders built on it split the stream into buffers:
 * {@link io.panamanetty.codec.LengthFieldFrameDecoder} (length-prefixed frames),
 * {@link io.panamanetty.codec.LineFrameDecoder} ({@code \n} or {@code \r\n} lines),
 * {@link io.panamanetty.codec.DelimiterBasedFrameDecoder} (any of several delimiters) and
 * {@link io.panamanetty.codec.FixedLengthFrameDecoder}; a
 * {@link io.panamanetty.codec.StringDecoder} after one of them turns frames into strings.
 * {@link io.panamanetty.codec.MessageToMessageDecoder} turns decoded messages into others.
 *
 * <h2>Encoding</h2>
 * {@link io.panamanetty.codec.MessageToByteEncoder} turns messages of one type into bytes,
 * {@link io.panamanetty.codec.MessageToMessageEncoder} into other messages, and
 * {@link io.panamanetty.codec.ByteToMessageCodec} pairs a decoder and an encoder in one handler.
 * {@link io.panamanetty.codec.LengthFieldPrepender} puts a length field in front of each
 * buffer written, without copying it; {@link io.panamanetty.codec.StringEncoder} turns strings
 * into buffers.
 *
 * <h2>Limits and errors</h2>
 * Every decoder bounds the frame it will buffer. A frame over the bound raises a
 * {@link io.panamanetty.codec.TooLongFrameException}, a length that cannot be right a
 * {@link io.panamanetty.codec.CorruptedFrameException}, both
 * {@link io.panamanetty.codec.DecoderException}s naming the limit and the value; the
 * exception goes to the next handler's {@code exceptionCaught}, and the decoder then
 * discards its input, so the application can close the connection:
 * <pre>{@code
 * new ServerBootstrap().childInitializer(ch -> ch.pipeline()
 *         .addLast("lines", new LineFrameDecoder(8192))
 *         .addLast("text", new StringDecoder(StandardCharsets.UTF_8))
 *         .addLast("app", new ChannelHandlerAdapter() {
 *             public void channelRead(ChannelHandlerContext ctx, Object line) {
 *                 ctx.writeAndFlush("you said: " + line + "\n");
 *             }
 *             public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
 *                 ctx.close();
 *             }
 *         }))
 *     .bind("0.0.0.0", 7000);
 * }</pre>
 *
 * <h2>Buffers</h2>
 * Decoders release every buffer they receive and emit frames as retained slices of their
 * own cumulation buffer (no copy), which the receiver owns and must release or pass on, by
 * the ownership rule of {@link io.panamanetty.buffer.Buffer}.
 */
package io.panamanetty.codec;
