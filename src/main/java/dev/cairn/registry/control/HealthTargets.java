package dev.cairn.registry.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Which addresses an Assets DB health check may call. Only public ones by default: a check makes
 * the server call a URL a client chose, so loopback, private (RFC 1918, carrier-grade NAT),
 * link-local (where cloud metadata services answer), IPv6 unique-local, wildcard and multicast
 * addresses are refused, whatever name resolves to them. An operator allows blocks of them with
 * {@code CAIRN_HEALTH_ALLOW} ({@code cairn.health.allow}): a comma-separated list of CIDR blocks
 * such as {@code 10.20.0.0/16,127.0.0.1/32}.
 */
@ApplicationScoped
public class HealthTargets {

    private record Block(byte[] network, int prefix) {

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int bits = a.length * 8;
            BigInteger mask = BigInteger.ONE
                    .shiftLeft(bits)
                    .subtract(BigInteger.ONE)
                    .shiftRight(prefix)
                    .not();
            return new BigInteger(1, a).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private List<Block> allowed = List.of();

    @PostConstruct
    void configure() {
        allowed = parse(ConfigProvider.getConfig(HealthTargets.class.getClassLoader())
                .getOptionalValue("cairn.health.allow", String.class)
                .orElse(""));
    }

    /**
     * The blocks of a {@code CAIRN_HEALTH_ALLOW} value; a malformed entry stops the start, rather than
     * allowing too much or too little.
     */
    static List<Block> parse(String text) {
        List<Block> out = new ArrayList<>();
        for (String entry : text.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            String[] parts = e.split("/", 2);
            try {
                if (!parts[0].matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                    throw new UnknownHostException("not a literal address");
                }
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int prefix = parts.length == 1 ? network.length * 8 : Integer.parseInt(parts[1]);
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new NumberFormatException("prefix out of range");
                }
                out.add(new Block(network, prefix));
            } catch (UnknownHostException | NumberFormatException ex) {
                throw new IllegalStateException(
                        "CAIRN_HEALTH_ALLOW holds CIDR blocks such as 10.0.0.0/8 or fd00::/8; '" + e + "' is not one.",
                        ex);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Whether the URL may be called: http or https, and every address its host resolves to public
     * or allowed. False for a host that does not resolve.
     */
    public boolean allowed(URI target) {
        if (target.getHost() == null
                || !("http".equalsIgnoreCase(target.getScheme()) || "https".equalsIgnoreCase(target.getScheme()))) {
            return false;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(target.getHost())) {
                if (!isPublic(address) && allowed.stream().noneMatch(b -> b.contains(address))) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isSiteLocalAddress()
                || address.isLinkLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] a = address.getAddress();
        if (a.length == 4) {
            int first = a[0] & 0xff;
            int second = a[1] & 0xff;
            return first != 0
                    && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    && !(first == 192 && second == 0 && (a[2] & 0xff) == 0)
                    && first < 224; // IETF protocol block, class E
        }
        return (a[0] & 0xfe) != 0xfc; // IPv6 unique-local fc00::/7
    }

    /** For tests: the blocks in force. */
    static HealthTargets of(String allow) {
        HealthTargets t = new HealthTargets();
        t.allowed = parse(allow);
        return t;
    }
}
