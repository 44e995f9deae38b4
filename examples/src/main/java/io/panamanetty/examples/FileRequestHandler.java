package io.panamanetty.examples;

import io.panamanetty.channel.ChannelFutureListener;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.codec.TooLongFrameException;
import io.panamanetty.file.FileRegion;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The HTTP/1.1 side of {@code serve-file}: reads request heads line by line (after a
 * {@code LineFrameDecoder} and a {@code StringDecoder}) and answers {@code GET} and
 * {@code HEAD} of files under the root with a status line, {@code Content-Length}, and the
 * file as a {@link FileRegion}: sent with {@code sendfile(2)}, or read through buffers
 * with {@code copy}. Keep-alive by default (HTTP/1.1), {@code Connection: close} honoured,
 * pipelined requests answered in order. A path that leaves the root (by {@code ..} or by a
 * symbolic link) is answered 404 like a missing file, so nothing outside the root is
 * revealed. One handler per connection.
 */
final class FileRequestHandler extends ChannelHandlerAdapter {
    private final Path root;
    private final boolean copy;
    private String requestLine;
    private boolean closeRequested;

    /**
     * @param root the directory served, as a real path (symbolic links resolved)
     * @param copy true to read files through buffers instead of {@code sendfile(2)}
     */
    FileRequestHandler(Path root, boolean copy) {
        this.root = root;
        this.copy = copy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        String line = (String) message;
        if (requestLine == null) {
            if (!line.isEmpty()) {   // blank lines before a request are allowed (RFC 9112 2.2)
                requestLine = line;
                closeRequested = false;
            }
            return;
        }
        if (!line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("connection")) {
                closeRequested = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT).contains("close");
            }
            return;
        }
        String request = requestLine;
        requestLine = null;
        answer(ctx, request);
    }

    private void answer(ChannelHandlerContext ctx, String request) {
        String[] parts = request.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            respond(ctx, "400 Bad Request", "not an HTTP/1.x request line: " + request, true);
            return;
        }
        boolean close = closeRequested || parts[2].equals("HTTP/1.0");
        boolean head = parts[0].equals("HEAD");
        if (!head && !parts[0].equals("GET")) {
            respond(ctx, "405 Method Not Allowed", "only GET and HEAD are served", close, "Allow: GET, HEAD\r\n");
            return;
        }
        Path file = resolve(parts[1]);
        if (file == null) {
            respond(ctx, "404 Not Found", "no such file: " + parts[1], close);
            return;
        }
        FileRegion region;
        try {
            region = copy ? copiedRegion(file) : FileRegion.open(file);
        } catch (AccessDeniedException e) {
            respond(ctx, "403 Forbidden", "not readable: " + parts[1], close);
            return;
        } catch (IOException e) {
            boolean denied = e.getMessage() != null && e.getMessage().contains("EACCES");
            respond(ctx, denied ? "403 Forbidden" : "404 Not Found", (denied ? "not readable: " : "no such file: ")
                    + parts[1], close);
            return;
        }
        ctx.write(header("200 OK", region.count(), "application/octet-stream", close, ""));
        if (head || region.count() == 0) {
            region.release();
            finish(ctx, ctx.writeAndFlush(""), close);
        } else {
            finish(ctx, ctx.writeAndFlush(region), close);
        }
    }

    private static FileRegion copiedRegion(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return FileRegion.of(channel, 0, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The file {@code target} names under the root, or null if there is none (or it lies outside the root). */
    private Path resolve(String target) {
        int query = target.indexOf('?');
        String path = query >= 0 ? target.substring(0, query) : target;
        if (!path.startsWith("/")) {
            return null;
        }
        Path file;
        try {
            String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (decoded.indexOf('\0') >= 0) {
                return null;
            }
            file = root.resolve(decoded.substring(1)).normalize();
            if (!file.startsWith(root)) {
                return null;   // ../ out of the root
            }
            file = file.toRealPath();   // follows links: one pointing out of the root is refused below
        } catch (IllegalArgumentException | IOException e) {   // a bad escape or path, a missing file
            return null;
        }
        if (!file.startsWith(root) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return file;
    }

    private static void respond(ChannelHandlerContext ctx, String status, String text, boolean close) {
        respond(ctx, status, text, close, "");
    }

    private static void respond(ChannelHandlerContext ctx, String status, String text, boolean close, String extra) {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        ctx.write(header(status, body.length, "text/plain; charset=utf-8", close, extra));
        finish(ctx, ctx.writeAndFlush(body), close);
    }

    private static String header(String status, long length, String type, boolean close, String extra) {
        return "HTTP/1.1 " + status + "\r\nContent-Length: " + length + "\r\nContent-Type: " + type + "\r\n"
                + extra + (close ? "Connection: close\r\n" : "") + "\r\n";
    }

    private static void finish(ChannelHandlerContext ctx, io.panamanetty.channel.ChannelFuture last, boolean close) {
        if (close) {
            last.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            respond(ctx, "431 Request Header Fields Too Large", "a request line or header is too long", true);
            return;
        }
        ctx.close();   // a reset peer, a file that shrank while sent: this connection only
    }
}
