package com.inpaintstudio.model.hub;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** The messages a user sees when the hub says no or cannot be reached: what happened and what to do. */
final class HubErrors {
    private HubErrors() {}

    /** For an HTTP error answer about {@code what} (a repo or a file in it). */
    static DownloadException http(HttpResponse<?> r, String repo, String revision, String what, HubClient client) {
        int code = r.statusCode();
        String errorCode = r.headers().firstValue("X-Error-Code").orElse("");
        String page = client.endpoint() + "/" + repo;
        if (errorCode.equals("GatedRepo") || code == 403 || (code == 401 && !errorCode.equals("RepoNotFound"))) {
            String fix = client.hasToken()
                    ? " HF_TOKEN is set, but the hub did not accept it for this repository: check that the token has"
                    + " read access and that you accepted the model's terms on " + page + "."
                    : " If it is gated, accept its terms on " + page + ", then create an access token"
                    + " (https://huggingface.co/settings/tokens) and set it in the environment variable HF_TOKEN.";
            return new DownloadException("The hub refused access to " + repo + " (HTTP " + code + "): the repository is"
                    + " gated or private." + fix);
        }
        if (errorCode.equals("RepoNotFound") || (code == 401 && !client.hasToken())) {
            return new DownloadException("There is no repository " + repo + " on " + client.endpoint() + " (HTTP " + code
                    + "). Check the spelling of the repo id (owner/name, e.g. " + HubDownloader.DEFAULT_REPO
                    + "); if it is private, set HF_TOKEN to an access token that can read it.");
        }
        if (errorCode.equals("RevisionNotFound")) {
            return new DownloadException("Repository " + repo + " has no revision '" + revision + "' (HTTP " + code
                    + "). Use a branch, tag or commit that exists (default: main).");
        }
        if (code == 404) {
            return new DownloadException("Not found on " + client.endpoint() + ": " + what + " (HTTP 404). Check the repo id '"
                    + repo + "' and the revision '" + revision + "'.");
        }
        if (code >= 500) {
            return new DownloadException("The hub had a server error (HTTP " + code + ") for " + what + ". Try again later.");
        }
        return new DownloadException("The hub answered HTTP " + code + " for " + what + ".");
    }

    /** The hub cannot be reached at all. */
    static DownloadException offline(HubClient client, IOException cause, Path modelsDir) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new DownloadException("Cannot reach " + client.endpoint() + " (" + why + "). This computer seems to be"
                + " offline or the hub is blocked. Try again when connected, or copy a model into " + modelsDir
                + " yourself: a diffusers folder (with model_index.json) or a .safetensors checkpoint.", cause);
    }

    /** The connection broke during a file. */
    static DownloadException interrupted(String file, long have, IOException cause) {
        return new DownloadException("The download of " + file + " was interrupted after " + Bytes.format(have) + " ("
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
                + "). Run the same download again: it resumes where it stopped.", cause);
    }
}
