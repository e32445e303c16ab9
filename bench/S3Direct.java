import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A file uploaded straight to S3 as a client library does it (the AWS CLI's default: a multipart
 * upload of 8 MiB parts above 8 MiB), with Cairn's settings: each part with its Content-MD5, two
 * in flight while the next is read, no payload signing. Prints the seconds it took.
 * Usage: java -cp SDK_CLASSPATH bench/S3Direct.java ENDPOINT ACCESS_KEY SECRET_KEY BUCKET KEY FILE
 */
public class S3Direct {

    private static final int PART = 8 << 20;

    public static void main(String[] args) throws Exception {
        String bucket = args[3];
        String key = args[4];
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(args[0]))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[1], args[2])))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .authSchemeProvider(params -> S3AuthSchemeProvider.defaultProvider().resolveAuthScheme(params).stream()
                        .map(o -> o.toBuilder().putSignerProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false).build())
                        .toList())
                .build();
             InputStream in = Files.newInputStream(Path.of(args[5]))) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            long t0 = System.nanoTime();
            String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
            List<CompletableFuture<CompletedPart>> sent = new ArrayList<>();
            Deque<CompletableFuture<CompletedPart>> flying = new ArrayDeque<>();
            for (int number = 1; ; number++) {
                byte[] part = in.readNBytes(PART);
                if (part.length == 0) {
                    break;
                }
                int n = number;
                CompletableFuture<CompletedPart> f = CompletableFuture.supplyAsync(() -> {
                    try {
                        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(part));
                        String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(n)
                                .contentLength((long) part.length).contentMD5(md5), RequestBody.fromByteBuffer(ByteBuffer.wrap(part))).eTag();
                        return CompletedPart.builder().partNumber(n).eTag(etag).build();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool);
                sent.add(f);
                flying.add(f);
                if (flying.size() >= 2) {
                    flying.poll().join();
                }
            }
            List<CompletedPart> parts = sent.stream().map(CompletableFuture::join).toList();
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(u -> u.parts(parts)));
            System.out.printf("%.2f%n", (System.nanoTime() - t0) / 1e9);
            pool.shutdown();
        }
    }
}
