package io.panamanetty.channel;

/**
 * The options of a {@link DatagramChannel}: those of every channel, the largest datagram
 * received and the datagrams per receive call ({@link DatagramChannelOption}). The socket
 * options (broadcast, TOS, multicast) go to the socket.
 */
public class DatagramChannelConfig extends ChannelConfig {
    /** The default {@link DatagramChannelOption#MAX_DATAGRAM_SIZE}: any UDP datagram fits. */
    public static final int DEFAULT_MAX_DATAGRAM_SIZE = 65_535;
    /** The default {@link DatagramChannelOption#DATAGRAMS_PER_RECEIVE}. */
    public static final int DEFAULT_DATAGRAMS_PER_RECEIVE = 16;
    /** The most datagrams one receive call takes ({@code UIO_MAXIOV}). */
    public static final int MAX_DATAGRAMS_PER_RECEIVE = 1024;

    private volatile int maxDatagramSize = DEFAULT_MAX_DATAGRAM_SIZE;
    private volatile int datagramsPerReceive = DEFAULT_DATAGRAMS_PER_RECEIVE;
    private volatile boolean udpSegmentCoalescing = true;

    /** For transports: a config with the defaults. */
    protected DatagramChannelConfig() {
    }

    /** The largest datagram received, in bytes. */
    public int maxDatagramSize() {
        return maxDatagramSize;
    }

    /** Datagrams received per receive call. */
    public int datagramsPerReceive() {
        return datagramsPerReceive;
    }

    /** Whether runs of equal datagrams leave as one segmented message ({@link DatagramChannelOption#UDP_SEGMENT_COALESCING}). */
    public boolean udpSegmentCoalescing() {
        return udpSegmentCoalescing;
    }

    @Override
    public boolean isConfigOption(ChannelOption<?> option) {
        return option == DatagramChannelOption.MAX_DATAGRAM_SIZE || option == DatagramChannelOption.DATAGRAMS_PER_RECEIVE
                || option == DatagramChannelOption.UDP_SEGMENT_COALESCING || super.isConfigOption(option);
    }

    @Override
    boolean setKindOption(ChannelOption<?> option, Object value) {
        if (option == DatagramChannelOption.MAX_DATAGRAM_SIZE) {
            int size = (Integer) value;
            if (size < 1 || size > DEFAULT_MAX_DATAGRAM_SIZE) {
                throw new IllegalArgumentException(option + " must be 1 to 65535: " + size);
            }
            maxDatagramSize = size;
            return true;
        }
        if (option == DatagramChannelOption.DATAGRAMS_PER_RECEIVE) {
            int count = (Integer) value;
            if (count < 1 || count > MAX_DATAGRAMS_PER_RECEIVE) {
                throw new IllegalArgumentException(option + " must be 1 to " + MAX_DATAGRAMS_PER_RECEIVE + ": " + count);
            }
            datagramsPerReceive = count;
            return true;
        }
        if (option == DatagramChannelOption.UDP_SEGMENT_COALESCING) {
            udpSegmentCoalescing = (Boolean) value;
            return true;
        }
        return false;
    }

    @Override
    Object getKindOption(ChannelOption<?> option) {
        if (option == DatagramChannelOption.MAX_DATAGRAM_SIZE) {
            return maxDatagramSize;
        }
        if (option == DatagramChannelOption.UDP_SEGMENT_COALESCING) {
            return udpSegmentCoalescing;
        }
        return option == DatagramChannelOption.DATAGRAMS_PER_RECEIVE ? datagramsPerReceive : null;
    }
}
