package com.inpaintstudio.cli;

import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.pipeline.InpaintException;
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
        cl.getErr().println("error: " + msg);
        if ("1".equals(System.getenv("INPAINT_DEBUG"))) {
            ex.printStackTrace(cl.getErr());
        }
        return code;
    }
}
