package dev.cairn.registry.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Database;
import dev.cairn.platform.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Encrypts secrets of registered assets (database connection strings) with AES-256-GCM under a
 * key from the environment: {@code CAIRN_SECRET_KEY} (base64 of 32 bytes), or on a single
 * machine a key generated once into {@code $CAIRN_DATA_DIR/secret.key} (mode 0600). Nodes that
 * share a database must share the key. The asset's id is the associated data, so a ciphertext
 * moved to another asset does not decrypt. Plaintexts are never logged.
 */
@ApplicationScoped
public class Secrets {

    static final String KEY_FILE = "secret.key";
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Database database;

    private volatile SecretKeySpec key;
    private volatile String keyId;

    /** A ciphertext, its nonce, and the id of the key that made it. */
    public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {}

    public Sealed seal(String assetId, String plaintext) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(assetId.getBytes(StandardCharsets.UTF_8));
            return new Sealed(keyId, nonce, cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String open(String assetId, Sealed sealed) {
        key();
        if (!sealed.keyId().equals(keyId)) {
            throw new CairnException.Conflict(
                    ErrorCode.SECRET_KEY,
                    "The secret was sealed with key " + sealed.keyId() + "; this server holds key " + keyId
                            + ". Start it with the CAIRN_SECRET_KEY the secret was stored under.");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed.nonce()));
            cipher.updateAAD(assetId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new CairnException.Conflict(
                    ErrorCode.SECRET_KEY,
                    "The secret of asset " + assetId + " does not decrypt under this server's key.");
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k != null) {
            return k;
        }
        synchronized (this) {
            if (key == null) {
                byte[] bytes = configured();
                try {
                    keyId = HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                            .substring(0, 12);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
                key = new SecretKeySpec(bytes, "AES");
            }
            return key;
        }
    }

    private byte[] configured() {
        String text = ConfigProvider.getConfig()
                .getOptionalValue("cairn.secret.key", String.class)
                .orElse(null);
        if (text != null) {
            return decode(text.trim(), "CAIRN_SECRET_KEY");
        }
        Path file = database.config().dataDir().resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                try {
                    Files.writeString(
                            Files.createFile(
                                    file,
                                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                            Base64.getEncoder().encodeToString(fresh));
                } catch (FileAlreadyExistsException raced) {
                    // another node made it first: read theirs
                }
            }
            return decode(Files.readString(file).trim(), file.toString());
        } catch (IOException e) {
            throw new CairnException.Unavailable("The secret key file could not be read or made.", e);
        }
    }

    private static byte[] decode(String text, String where) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(where + " must hold 32 bytes (base64), not " + bytes.length);
        }
        return bytes;
    }
}
