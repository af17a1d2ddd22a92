package io.cairn.server.cli;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn get bucket/key [DEST|-]}: downloads to a temp file beside DEST, checks length and SHA-256,
 * then renames it into place, so DEST is never left half-written. {@code -} streams to stdout.
 */
@Command(name = "get", description = "Download bucket/key to DEST (default: the key's file name here; "
    + "- for stdout).", exitCodeOnInvalidInput = ExitCodes.USAGE)
final class GetCommand extends ClientCommand {
  private static final int BUFFER_BYTES = 256 * 1024;

  @Parameters(index = "0", paramLabel = "BUCKET/KEY")
  String target;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DEST", description = "File, directory, or -.")
  String dest;

  GetCommand(ClientIo io) {
    super(io);
  }

  @Override
  void run(CairnClient client) throws IOException {
    Target t = Target.parse(target);
    t.requireKey();
    if ("-".equals(dest)) {
      long[] written = {0};
      client.send(t.toString(), base -> get(base, t), r -> copy(r, io.out(), t, written), () -> written[0] == 0);
      return;
    }
    Path out = dest == null ? Path.of(t.baseName()) : Path.of(dest);
    if (Files.isDirectory(out)) {
      out = out.resolve(t.baseName());
    }
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".cairn-part");
    try {
      client.send(t.toString(), base -> get(base, t), r -> {
        try (OutputStream os = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
          return copy(r, os, t, new long[1]);
        }
      }, () -> true);
      moveIntoPlace(tmp, out);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static HttpRequest get(URI base, Target t) {
    return HttpRequest.newBuilder(base.resolve(Urls.file(t))).GET().build();
  }

  /**
   * Copies the body, counting into {@code written}. Network read failures stay IOExceptions (the client
   * may try another node); local write failures become UncheckedIOException (exit code 6).
   */
  private Void copy(HttpResponse<InputStream> r, OutputStream os, Target t, long[] written) throws IOException {
    long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
    String expected = r.headers().firstValue("X-Cairn-Sha256").orElse(null);
    MessageDigest sha = sha256();
    Progress progress = progress(t.toString(), length);
    byte[] buf = new byte[BUFFER_BYTES];
    try (InputStream in = r.body()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        sha.update(buf, 0, n);
        try {
          os.write(buf, 0, n);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        written[0] += n;
        progress.add(n);
      }
    }
    try {
      os.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    progress.finish();
    if (length >= 0 && written[0] != length) {
      throw new IOException("transfer ended after " + written[0] + " of " + length + " bytes");
    }
    if (expected != null && !expected.equalsIgnoreCase(HexFormat.of().formatHex(sha.digest()))) {
      throw new CliException(ExitCodes.SERVER_ERROR, ErrorCode.CHECKSUM_MISMATCH,
          t + ": downloaded bytes do not match the stored SHA-256");
    }
    return null;
  }

  private static void moveIntoPlace(Path tmp, Path out) throws IOException {
    try {
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new CairnException(ErrorCode.INTERNAL, "SHA-256 is missing from this JVM", e);
    }
  }
}
