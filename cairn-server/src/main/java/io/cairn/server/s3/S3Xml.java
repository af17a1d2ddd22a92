package io.cairn.server.s3;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Writing S3 XML answers and reading the few XML request bodies (DeleteObjects, CompleteMultipartUpload). */
final class S3Xml {
  static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

  private final StringBuilder sb = new StringBuilder(HEADER);
  private final List<String> open = new ArrayList<>();

  /** Starts a document whose root element carries the S3 namespace. */
  static S3Xml root(String name) {
    S3Xml x = new S3Xml();
    x.sb.append('<').append(name).append(" xmlns=\"").append(NS).append("\">");
    x.open.add(name);
    return x;
  }

  /** Starts a document whose root has no namespace (errors). */
  static S3Xml plainRoot(String name) {
    S3Xml x = new S3Xml();
    x.sb.append('<').append(name).append('>');
    x.open.add(name);
    return x;
  }

  S3Xml start(String name) {
    sb.append('<').append(name).append('>');
    open.add(name);
    return this;
  }

  S3Xml end() {
    sb.append("</").append(open.remove(open.size() - 1)).append('>');
    return this;
  }

  S3Xml elem(String name, Object value) {
    if (value == null) {
      return this;
    }
    sb.append('<').append(name).append('>').append(escape(value.toString())).append("</").append(name).append('>');
    return this;
  }

  String finish() {
    while (!open.isEmpty()) {
      end();
    }
    return sb.toString();
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append("&#").append((int) c).append(';');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(java.time.ZoneOffset.UTC);

  /** ISO-8601 with milliseconds, as S3 listings show times. */
  static String isoTime(long millis) {
    return ISO.format(Instant.ofEpochMilli(millis));
  }

  /** The error document S3 clients parse. */
  static String error(String code, String message, String resource, String requestId) {
    return plainRoot("Error").elem("Code", code).elem("Message", message).elem("Resource", resource)
        .elem("RequestId", requestId).finish();
  }

  /** Parses a small request body; MalformedXML when it is not well-formed. DTDs are refused. */
  static Element parse(byte[] body, String expectedRoot) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      Document d = b.parse(new ByteArrayInputStream(body));
      Element root = d.getDocumentElement();
      if (!expectedRoot.equals(root.getLocalName())) {
        throw S3Exception.malformedXml("Expected <" + expectedRoot + "> as the root element");
      }
      return root;
    } catch (S3Exception e) {
      throw e;
    } catch (Exception e) {
      throw S3Exception.malformedXml(
          "The XML you provided was not well-formed or did not validate against our published schema");
    }
  }

  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nl = parent.getChildNodes();
    for (int i = 0; i < nl.getLength(); i++) {
      Node n = nl.item(i);
      if (n instanceof Element e && name.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  static String childText(Element parent, String name) {
    List<Element> c = children(parent, name);
    return c.isEmpty() ? null : c.get(0).getTextContent();
  }
}
