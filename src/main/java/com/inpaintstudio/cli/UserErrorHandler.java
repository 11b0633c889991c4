package com.inpaintstudio.cli;

import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.errors.InpaintException;
import picocli.CommandLine;

/**
 * Turns errors into one clear line on stderr and a non-zero exit; a stack trace only with INPAINT_DEBUG=1.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        String msg;
        int code;
        if (ex instanceof InpaintException || ex instanceof ModelFormatException || ex instanceof IllegalArgumentException) {
            msg = ex.getMessage();
            code = 2;
        } else if (ex instanceof java.io.IOException) {
            msg = "I/O error: " + ex.getMessage();
            code = 3;
        } else {
            msg = "Unexpected error: " + ex + " (set INPAINT_DEBUG=1 for details)";
            code = 1;
        }
        cl.getErr().println("error: " + oneLine(msg));
        if ("1".equals(System.getenv("INPAINT_DEBUG"))) {
            ex.printStackTrace(cl.getErr());
        }
        return code;
    }

    /** Joins a multi-line message (a list of problems, then advice) into one line, for scripts reading stderr. */
    static String oneLine(String msg) {
        StringBuilder sb = new StringBuilder();
        for (String line : String.valueOf(msg).strip().split("\\R")) {
            String l = line.strip();
            boolean item = l.startsWith("- ");
            if (item) {
                l = l.substring(2);
            }
            if (l.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                char last = sb.charAt(sb.length() - 1);
                sb.append(item && last != ':' ? "; " : last == '.' || last == ':' || last == ';' ? " " : ". ");
            }
            sb.append(l);
        }
        return sb.toString();
    }
}
