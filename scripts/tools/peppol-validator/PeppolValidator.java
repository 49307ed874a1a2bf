import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.w3c.dom.ls.DOMImplementationLS;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import net.sf.saxon.s9api.DocumentBuilder;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XdmDestination;
import net.sf.saxon.s9api.XdmItem;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltExecutable;
import net.sf.saxon.s9api.XsltTransformer;

/**
 * Validates UBL 2.1 invoices and credit notes the way the Peppol network does for BIS Billing 3.0: the UBL 2.1
 * XSD, then the CEN EN 16931 schematron, then the Peppol BIS schematron (OpenPeppol's compiled XSLT artefacts,
 * release 2026.5). Written by scripts/tools/peppol-validator.ts; see the pom beside it for where the rules come from.
 *
 * Usage: peppol-validator FILE.xml... prints one JSON line per file, in order:
 * {"valid":bool,"errors":[{"id","flag","text","location"}]}. "valid" means no fatal finding; warnings are listed
 * but do not invalidate. Exits 0 whenever every file could be read, whatever the verdict.
 */
public final class PeppolValidator {
  private static final String RULES = "external/schematron/openpeppol/2026.5/xslt/";
  private static final String UBL = "external/schemas/ubl21/maindoc/";
  private static final String INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
  private static final String CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
  private static final String SVRL_NS = "http://purl.oclc.org/dsdl/svrl";

  // UBL 2.1 imports these by namespace alone, so the resolver must know where each one lives.
  private static final Map<String, String> IMPORTED_BY_NAMESPACE = Map.of(
      "urn:un:unece:uncefact:data:specification:CoreComponentTypeSchemaModule:2", "schemas/CCTS_CCT_SchemaModule.xsd",
      "http://www.w3.org/2000/09/xmldsig#", "schemas/xmldsig-core-schema.xsd",
      "http://uri.etsi.org/01903/v1.3.2#", "schemas/XAdES01903v132-201601.xsd",
      "http://uri.etsi.org/01903/v1.4.1#", "schemas/XAdES01903v141-201601.xsd");

  private record Finding(String id, String flag, String text, String location) {}

  private final Processor saxon = new Processor(false);
  private final XPathCompiler xpath = saxon.newXPathCompiler();
  private final List<XsltExecutable> schematrons = new ArrayList<>();
  private final Map<String, Schema> schemas = new HashMap<>();

  private PeppolValidator() throws SaxonApiException, IOException {
    xpath.declareNamespace("svrl", SVRL_NS);
    for (String name : List.of("CEN-EN16931-UBL.xslt", "PEPPOL-EN16931-UBL.xslt")) {
      URL url = resource(RULES + name);
      try (InputStream in = url.openStream()) {
        schematrons.add(saxon.newXsltCompiler().compile(new StreamSource(in, url.toString())));
      }
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: peppol-validator FILE.xml...");
      System.exit(2);
    }
    PeppolValidator validator = new PeppolValidator();
    for (String path : args) {
      File file = new File(path);
      if (!file.isFile()) {
        System.err.println("peppol-validator: no such file: " + path);
        System.exit(2);
      }
      System.out.println(toJson(validator.validate(file)));
    }
  }

  private List<Finding> validate(File file) throws Exception {
    List<Finding> findings = new ArrayList<>();
    XdmNode doc;
    try {
      DocumentBuilder builder = saxon.newDocumentBuilder();
      builder.setLineNumbering(true);
      doc = builder.build(file);
    } catch (SaxonApiException e) {
      findings.add(new Finding("XML", "fatal", e.getMessage(), ""));
      return findings;
    }

    String rootNs = xpath.evaluateSingle("namespace-uri(/*)", doc).getStringValue();
    String xsd = INVOICE_NS.equals(rootNs) ? "UBL-Invoice-2.1.xsd" : CREDIT_NOTE_NS.equals(rootNs) ? "UBL-CreditNote-2.1.xsd" : null;
    if (xsd == null) {
      findings.add(new Finding("XSD", "fatal", "root element must be a UBL 2.1 Invoice or CreditNote, got namespace '" + rootNs + "'", "/*"));
      return findings;
    }
    validateSchema(schema(xsd), file, findings);

    for (XsltExecutable schematron : schematrons) {
      XsltTransformer transformer = schematron.load();
      XdmDestination svrl = new XdmDestination();
      transformer.setInitialContextNode(doc);
      transformer.setDestination(svrl);
      transformer.transform();
      for (XdmItem item : xpath.evaluate("//svrl:failed-assert | //svrl:successful-report", svrl.getXdmNode())) {
        XdmNode node = (XdmNode) item;
        String flag = node.getAttributeValue(new QName("flag"));
        findings.add(new Finding(
            node.getAttributeValue(new QName("id")),
            flag == null ? "fatal" : flag, // schematron's default severity is an error
            xpath.evaluateSingle("normalize-space(svrl:text)", node).getStringValue(),
            node.getAttributeValue(new QName("location"))));
      }
    }
    return findings;
  }

  private static void validateSchema(Schema schema, File file, List<Finding> findings) throws IOException {
    Validator validator = schema.newValidator();
    validator.setErrorHandler(new ErrorHandler() {
      @Override public void warning(SAXParseException e) { findings.add(xsdFinding("warning", e)); }
      @Override public void error(SAXParseException e) { findings.add(xsdFinding("fatal", e)); }
      @Override public void fatalError(SAXParseException e) throws SAXException { throw e; }
    });
    try {
      validator.validate(new StreamSource(file));
    } catch (SAXParseException e) {
      findings.add(xsdFinding("fatal", e));
    } catch (SAXException e) {
      findings.add(new Finding("XSD", "fatal", e.getMessage(), ""));
    }
  }

  private static Finding xsdFinding(String flag, SAXParseException e) {
    return new Finding("XSD", flag, e.getMessage(), "line " + e.getLineNumber() + ", column " + e.getColumnNumber());
  }

  private Schema schema(String xsd) throws Exception {
    Schema cached = schemas.get(xsd);
    if (cached != null) return cached;
    SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    DOMImplementationLS ls = (DOMImplementationLS) DocumentBuilderFactory.newInstance().newDocumentBuilder().getDOMImplementation();
    factory.setResourceResolver(resolver(ls));
    URL url = resource(UBL + xsd);
    Schema schema;
    try (InputStream in = url.openStream()) {
      schema = factory.newSchema(new StreamSource(in, url.toString()));
    }
    schemas.put(xsd, schema);
    return schema;
  }

  /** Resolves relative schemaLocations against jar: URLs (which java.net.URL can, java.net.URI cannot) and namespace-only imports. */
  private static LSResourceResolver resolver(DOMImplementationLS ls) {
    return (type, namespaceURI, publicId, systemId, baseURI) -> {
      try {
        URL url = systemId != null && baseURI != null
            ? new URL(new URL(baseURI), systemId)
            : namespaceURI != null && IMPORTED_BY_NAMESPACE.containsKey(namespaceURI) ? resource(IMPORTED_BY_NAMESPACE.get(namespaceURI)) : null;
        if (url == null) return null;
        LSInput input = ls.createLSInput();
        input.setSystemId(url.toString());
        input.setByteStream(url.openStream());
        return input;
      } catch (IOException e) {
        throw new IllegalStateException("cannot resolve schema " + namespaceURI + " " + systemId, e);
      }
    };
  }

  private static URL resource(String path) throws IOException {
    URL url = PeppolValidator.class.getClassLoader().getResource(path);
    if (url == null) throw new IOException("not on the classpath: " + path);
    return url;
  }

  private static String toJson(List<Finding> findings) {
    boolean valid = findings.stream().noneMatch(f -> f.flag().equals("fatal"));
    StringBuilder json = new StringBuilder("{\"valid\":").append(valid).append(",\"errors\":[");
    for (int i = 0; i < findings.size(); i++) {
      Finding f = findings.get(i);
      if (i > 0) json.append(',');
      json.append("{\"id\":").append(quote(f.id())).append(",\"flag\":").append(quote(f.flag()))
          .append(",\"text\":").append(quote(f.text())).append(",\"location\":").append(quote(f.location())).append('}');
    }
    return json.append("]}").toString();
  }

  private static String quote(String s) {
    if (s == null) return "null";
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    return out.append('"').toString();
  }
}
