package dev.bulwark.common.error;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;

/** PostgreSQL cannot be reached (or is shutting down or starting): 503 with {@code Retry-After}. */
public class DatabaseUnavailable extends Unavailable {

    private static final long RETRY_AFTER_SECONDS = 5;

    public DatabaseUnavailable(Throwable cause) {
        super("The database is unavailable; try again in a few seconds", cause);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
    }

    /**
     * Whether the failure, or one of its causes, is a lost or refused database connection: SQL state class 08
     * (connection exception) or 57P (the server is shutting down, crashed or is starting).
     */
    public static boolean causes(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
