package dev.bulwark.dispatcher.grc;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.dispatcher.config.DispatcherConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Reads attachments from the configured S3-compatible endpoint (path-style, as S3Proxy and MinIO want). */
@ApplicationScoped
public class AttachmentStore {

    private final Optional<S3Client> s3;

    AttachmentStore(DispatcherConfig config) {
        DispatcherConfig.S3 s3Config = config.s3();
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
        try {
            return client.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build())
                    .asByteArray();
        } catch (NoSuchKeyException | NoSuchBucketException missing) {
            throw new Invalid("No S3 object " + key + " in bucket " + bucket);
        }
    }

    @PreDestroy
    void close() {
        s3.ifPresent(S3Client::close);
    }
}
