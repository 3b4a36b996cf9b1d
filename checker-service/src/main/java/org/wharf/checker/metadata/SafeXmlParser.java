package org.wharf.checker.metadata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.util.Locale;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses untrusted metadata into a DOM with everything that can reach outside the document, or
 * blow up inside it, switched off. Depositors control these bytes, so a DTD is refused outright
 * rather than parsed carefully: no DTD means no entities, no external subset, no expansion.
 */
final class SafeXmlParser {

    static final String DTD_REFUSED = "metadata must not contain a DTD or entities";

    private static final String DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";
    /** JDK (Xerces) property: parser messages in a fixed language, so summaries and detection are stable. */
    private static final String LOCALE = "http://apache.org/xml/properties/locale";
    /** JDK property: without it nesting is unbounded, and a 10 MiB document can nest millions deep. */
    private static final String MAX_ELEMENT_DEPTH = "http://www.oracle.com/xml/jaxp/properties/maxElementDepth";
    static final int MAX_DEPTH = 256;

    private static final int MAX_MESSAGE = 300;

    private final DocumentBuilderFactory factory;

    SafeXmlParser() {
        // newDefaultInstance: the JDK's own parser, whatever a classpath Xerces or system property
        // says; another implementation could silently ignore the attributes below.
        factory = DocumentBuilderFactory.newDefaultInstance();
        try {
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature(DISALLOW_DOCTYPE, true);
            // Redundant once DOCTYPE is refused; kept so a single mistake does not reopen XXE.
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setAttribute(LOCALE, Locale.ROOT);
            factory.setAttribute(MAX_ELEMENT_DEPTH, String.valueOf(MAX_DEPTH));
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            // Fail closed: better no checker than one parsing untrusted XML without these settings.
            throw new IllegalStateException("the JDK XML parser refuses a hardening setting", e);
        }
    }

    /** @throws Refused with a one-line summary; never a parser exception. */
    Document parse(byte[] document) throws Refused {
        DocumentBuilder builder;
        synchronized (factory) { // factories are not documented thread-safe
            try {
                builder = factory.newDocumentBuilder();
            } catch (ParserConfigurationException e) {
                throw new IllegalStateException("the JDK XML parser refuses its configuration", e);
            }
        }
        // Last line of defence: should anything still try to resolve an entity or DTD, refuse.
        builder.setEntityResolver((publicId, systemId) -> {
            throw new SAXException(DTD_REFUSED);
        });
        // The default handler prints to stderr, and non-fatal errors must not pass silently.
        builder.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        try {
            // The parser reads the encoding from the BOM / XML declaration itself.
            return builder.parse(new InputSource(new ByteArrayInputStream(document)));
        } catch (SAXParseException e) {
            if (isDtdRefusal(e)) {
                throw new Refused(DTD_REFUSED);
            }
            throw new Refused("Malformed xml metadata at line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + oneLine(e.getMessage()));
        } catch (SAXException e) {
            // Only our entity resolver throws a bare SAXException.
            throw new Refused(DTD_REFUSED);
        } catch (UnsupportedEncodingException e) {
            // Its message is the bare encoding name.
            throw new Refused("Malformed xml metadata: unsupported encoding " + ValueFormats.quote(oneLine(e.getMessage())));
        } catch (IOException e) {
            // Reading from memory, so this is the declared encoding being unreadable.
            throw new Refused("Malformed xml metadata: " + oneLine(e.getMessage()));
        } catch (RuntimeException e) {
            // A parser bug on hostile input must still be a refusal, not a crash of the caller;
            // its message is not trusted enough to show.
            throw new Refused("Malformed xml metadata");
        }
    }

    private static boolean isDtdRefusal(SAXParseException e) {
        // The message names the feature in every locale; with LOCALE set it is English anyway.
        String message = e.getMessage();
        return message != null && (message.contains(DISALLOW_DOCTYPE) || message.contains(DTD_REFUSED));
    }

    /** Summaries are one line and bounded: parser messages quote depositor-controlled names. */
    static String oneLine(String text) {
        if (text == null || text.isBlank()) {
            return "unreadable XML";
        }
        String flat = text.replaceAll(ValueFormats.LINE_BREAKING, " ").replaceAll("\\s+", " ").strip();
        return ValueFormats.truncate(flat, MAX_MESSAGE);
    }

    /** The document cannot be read as safe, well-formed XML; {@code summary} says why. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String summary) {
            super(summary, null, false, false);
        }
    }
}
