package dev.bulwark.dispatcher.grc.client;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.dispatcher.config.DispatcherConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Reads attachments from the configured S3-compatible endpoint (path-style, as S3Proxy and MinIO want). The endpoint
 * is the operator's configuration and a message names only a bucket and a key, which path-style access keeps in the
 * path: no message can send the dispatcher to another host, so these reads do not pass the egress policy.
 */
@ApplicationScoped
public class AttachmentStore {

    private final Optional<S3Client> s3;
    private final Optional<List<String>> buckets;
    private final long maxObjectSize;

    AttachmentStore(DispatcherConfig config) {
        DispatcherConfig.S3 s3Config = config.s3();
        this.buckets = s3Config.buckets();
        this.maxObjectSize = s3Config.maxObjectSize().asLongValue();
        this.s3 = s3Config.endpoint().map(endpoint -> {
            AwsCredentialsProvider credentials = s3Config.accessKey().isPresent()
                    ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s3Config.accessKey().get(),
                    s3Config.secretKey().orElse("")))
                    : AnonymousCredentialsProvider.create();
            return S3Client.builder()
                    .endpointOverride(endpoint)
                    .forcePathStyle(true)
                    // S3-compatible servers (S3Proxy among them) reject the SDK's default trailing checksums.
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .region(Region.of(s3Config.region()))
                    .credentialsProvider(credentials)
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build();
        });
    }

    public byte[] read(String bucket, String key) {
        S3Client client = s3.orElseThrow(() -> new Invalid(
                "No S3 endpoint configured (bulwark.dispatcher.s3.endpoint or S3_URL) for file_s3_bucket"));
        if (buckets.isPresent() && !buckets.get().contains(bucket)) {
            throw new Invalid("Bucket " + bucket + " is not one attachments may come from: "
                    + String.join(", ", buckets.get()) + " (bulwark.dispatcher.s3.buckets)");
        }
        try (ResponseInputStream<GetObjectResponse> object = client.getObject(
                GetObjectRequest.builder().bucket(bucket).key(key).build())) {
            Long length = object.response().contentLength();
            if (length != null && length > maxObjectSize) {
                object.abort();
                throw tooLarge(bucket, key, length + " bytes");
            }
            byte[] content = object.readNBytes((int) Math.min(maxObjectSize + 1, Integer.MAX_VALUE - 8));
            if (content.length > maxObjectSize) {
                object.abort();
                throw tooLarge(bucket, key, "over " + maxObjectSize + " bytes");
            }
            return content;
        } catch (NoSuchKeyException | NoSuchBucketException missing) {
            throw new Invalid("No S3 object " + key + " in bucket " + bucket);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read S3 object " + key + " in bucket " + bucket, e);
        }
    }

    private Invalid tooLarge(String bucket, String key, String size) {
        return new Invalid("S3 object " + key + " in bucket " + bucket + " is " + size + ", more than the "
                + maxObjectSize + " bytes of bulwark.dispatcher.s3.max-object-size");
    }

    @PreDestroy
    void close() {
        s3.ifPresent(S3Client::close);
    }
}
