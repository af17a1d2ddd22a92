package io.cairn.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.MultiPartFormInputStream;

/**
 * The multipart/form-data parser behind the seed upload form (Jetty's, with the gateway's limits): any
 * body and boundary either parses within the limits or fails with the exceptions the upload route turns
 * into 400/413; parts never exceed the size limits.
 */
class MultipartFuzzTest {
  static final long MAX_FILE = 64 * 1024;
  static final long MAX_REQUEST = 128 * 1024;
  static final Path TMP;

  static {
    try {
      TMP = Files.createTempDirectory("cairn-multipart-fuzz-");
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "10s")
  void anyFormIsParsedWithinLimitsOrRefused(FuzzedDataProvider data) throws Exception {
    String boundary = data.consumeString(80);
    byte[] body = data.consumeRemainingAsBytes();
    MultipartConfigElement config = new MultipartConfigElement(TMP.toString(), MAX_FILE, MAX_REQUEST, 1024);
    MultiPartFormInputStream form = new MultiPartFormInputStream(new ByteArrayInputStream(body),
        "multipart/form-data; boundary=" + boundary, config, new File(TMP.toString()));
    try {
      for (Part p : form.getParts()) {
        assertThat(p.getSize()).isLessThanOrEqualTo(MAX_FILE);
        p.getSubmittedFileName();
        p.getHeaderNames();
      }
    } catch (IOException | IllegalStateException | IllegalArgumentException e) {
      // SeedUpload answers these with 400 (malformed) or 413 (too large).
    } finally {
      form.deleteParts();
    }
  }
}
