package dev.cairn.store.control;

import java.security.SecureRandom;

/** Opaque, unguessable ids for versions and upload jobs: 130 random bits in 26 base32 symbols. */
final class RandomIds {

    private static final String SYMBOLS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {}

    static String next() {
        char[] id = new char[26];
        for (int i = 0; i < id.length; i++) {
            id[i] = SYMBOLS.charAt(RANDOM.nextInt(32));
        }
        return new String(id);
    }
}
