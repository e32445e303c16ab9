package dev.cairn.catalog.control;

import java.time.Instant;

/**
 * ERMrest's RID text: a sequence value shifted left one bit, written in Crockford base32 with a
 * hyphen between groups of four symbols counted from the right, without leading zeros. The
 * database encodes with {@code _ermrest.rid_encode}; this class is its twin for the server side.
 */
public final class Rid {

    private static final String SYMBOLS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private Rid() {}

    public static String encode(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("RID values are not negative: " + value);
        }
        StringBuilder encoded = new StringBuilder();
        // 65 bits: the value and one zero bit below it; the first symbol holds the low four bits.
        long rest = value >>> 4;
        encoded.append(SYMBOLS.charAt((int) ((value & 0xF) << 1)));
        for (int position = 1; rest != 0; position++) {
            if (position % 4 == 0) {
                encoded.append('-');
            }
            encoded.append(SYMBOLS.charAt((int) (rest & 0x1F)));
            rest >>>= 5;
        }
        return encoded.reverse().toString();
    }

    /** A snaptime (a time in microseconds, encoded as a RID) as an instant; rejects anything that is not one. */
    public static Instant instant(String snaptime) {
        long micros = decode(snaptime);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
    }

    /** An instant as a snaptime, to the microsecond. */
    public static String snaptime(Instant instant) {
        return encode(instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000);
    }

    /** Decodes RID text (case-insensitive, hyphens anywhere); rejects anything that is not a RID. */
    public static long decode(String rid) {
        String symbols = rid == null ? "" : rid.replace("-", "").toUpperCase();
        if (symbols.isEmpty() || symbols.length() > 13) {
            throw new IllegalArgumentException("not a RID: " + rid);
        }
        long doubled = 0;
        for (int i = 0; i < symbols.length(); i++) {
            int code = SYMBOLS.indexOf(symbols.charAt(i));
            if (code < 0) {
                throw new IllegalArgumentException("not a RID: " + rid);
            }
            if (i == 0 && symbols.length() == 13 && code > 0xF) {
                throw new IllegalArgumentException("RID out of range: " + rid);
            }
            doubled = (doubled << 5) | code;
        }
        if ((doubled & 1) != 0) {
            throw new IllegalArgumentException("not a RID: " + rid);
        }
        return doubled >>> 1;
    }
}
