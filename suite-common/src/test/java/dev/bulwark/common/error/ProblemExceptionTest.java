package dev.bulwark.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemExceptionTest {

    @Test
    void notFoundNamesTheMissingResource() {
        Problem problem = new NotFound("workflow", "w-1").toProblem("/api/v1/workflows/w-1");
        assertEquals(404, problem.status());
        assertEquals(Problem.TYPE_PREFIX + "not-found", problem.type());
        assertEquals("workflow 'w-1' does not exist", problem.detail());
        assertEquals("/api/v1/workflows/w-1", problem.instance());
        assertNull(problem.errors());
    }

    @Test
    void invalidCarriesItsFieldViolations() {
        var violation = new Problem.FieldViolation("name", "must not be blank");
        Problem problem = new Invalid("bad workflow", List.of(violation)).toProblem("/x");
        assertEquals(400, problem.status());
        assertEquals(List.of(violation), problem.errors());
    }

    @Test
    void onlyUnavailableIsRetryable() {
        assertTrue(new Unavailable("broker down", null).retryable());
        assertEquals(false, new Conflict("duplicate").retryable());
    }
}
