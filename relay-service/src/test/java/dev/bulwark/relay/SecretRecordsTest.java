package dev.bulwark.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.common.testing.SecretRecords;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No record of this module prints a secret it holds (issue 13: records that hold secrets have redacting toString). */
class SecretRecordsTest {

    @Test
    void noRecordShowsASecretInToString() {
        assertEquals(List.of(), SecretRecords.leaks(Path.of("target/classes")));
    }
}
