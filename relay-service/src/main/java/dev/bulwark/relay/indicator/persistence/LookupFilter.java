package dev.bulwark.relay.indicator.persistence;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What one organisation's indicators are, as 64-bit hashes of (type, value) for names and hashes and of (address
 * family, network, prefix length) for addresses, read from one snapshot whose {@link #version} it remembers. It can
 * only say "certainly not stored" or "maybe": a hash collision costs a query, never a wrong answer. Immutable once
 * built; a new version is a new filter.
 */
final class LookupFilter {

    private final long version;
    private long[] slots = new long[1024];
    private int size;
    /** Prefix lengths of the stored IPv4 (index 0–32) and IPv6 (33–161) networks, most specific probed first. */
    private final BitSet prefixes = new BitSet();

    LookupFilter(long version) {
        this.version = version;
    }

    long version() {
        return version;
    }

    int size() {
        return size;
    }

    void addValue(String type, String value) {
        add(valueKey(type, value));
    }

    /** {@code address} holds the network's bytes (4 or 16), host bits already clear. */
    void addNetwork(byte[] address, int prefix) {
        prefixes.set(prefixIndex(address.length, prefix));
        add(networkKey(address, prefix));
    }

    boolean mayHold(String type, String value) {
        return contains(valueKey(type, value));
    }

    /**
     * The stored networks that may contain the network {@code address/length} (a single address when the length is
     * the address's bits), most specific first, each as {@code address/prefix}; empty when none is stored.
     */
    List<String> networksContaining(InetAddress address, int length) {
        byte[] bytes = address.getAddress();
        int base = prefixIndex(bytes.length, 0);
        List<String> networks = new ArrayList<>(2);
        for (int prefix = length; prefix >= 0; prefix--) {
            if (!prefixes.get(base + prefix)) {
                continue;
            }
            byte[] masked = mask(bytes, prefix);
            if (contains(networkKey(masked, prefix))) {
                networks.add(text(masked) + "/" + prefix);
            }
        }
        return networks;
    }

    static byte[] mask(byte[] address, int prefix) {
        byte[] bytes = address.clone();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] = (byte) (bytes[i] & (0xff << (8 - keep)));
        }
        return bytes;
    }

    /** A literal PostgreSQL reads back as the same family (Java would turn IPv4-mapped IPv6 into IPv4). */
    private static String text(byte[] bytes) {
        StringBuilder text = new StringBuilder(40);
        if (bytes.length == 4) {
            for (int i = 0; i < 4; i++) {
                text.append(i == 0 ? "" : ".").append(bytes[i] & 0xff);
            }
        } else {
            for (int i = 0; i < 16; i += 2) {
                int group = ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
                text.append(i == 0 ? "" : ":").append(Integer.toHexString(group));
            }
        }
        return text.toString();
    }

    private static int prefixIndex(int length, int prefix) {
        return length == 4 ? prefix : 33 + prefix;
    }

    private static long valueKey(String type, String value) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, type.getBytes(StandardCharsets.UTF_8));
        h = (h ^ 0xff) * 0x100000001b3L;
        return mix(fnv(h, value.getBytes(StandardCharsets.UTF_8)));
    }

    private static long networkKey(byte[] address, int prefix) {
        long h = (0x84222325cbf29ce4L ^ address.length) * 0x100000001b3L;
        h = fnv(h, address);
        return mix((h ^ prefix) * 0x100000001b3L);
    }

    private static long fnv(long h, byte[] bytes) {
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** The finaliser of SplitMix64, so that the low bits used as slot index are well spread; 0 marks a free slot. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z = z ^ (z >>> 31);
        return z == 0 ? 1 : z;
    }

    private void add(long key) {
        if ((size + 1) * 4L > slots.length * 3L) {
            long[] old = slots;
            slots = new long[old.length * 2];
            size = 0;
            for (long k : old) {
                if (k != 0) {
                    insert(k);
                }
            }
        }
        insert(key);
    }

    private void insert(long key) {
        int mask = slots.length - 1;
        for (int i = (int) key & mask; ; i = (i + 1) & mask) {
            if (slots[i] == key) {
                return;
            }
            if (slots[i] == 0) {
                slots[i] = key;
                size++;
                return;
            }
        }
    }

    private boolean contains(long key) {
        long[] table = slots;
        int mask = table.length - 1;
        for (int i = (int) key & mask; ; i = (i + 1) & mask) {
            if (table[i] == key) {
                return true;
            }
            if (table[i] == 0) {
                return false;
            }
        }
    }
}
