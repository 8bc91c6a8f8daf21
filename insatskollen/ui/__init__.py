"""The only Streamlit importer: what the pages lay out with (session, sidebar, widgets, downloads, text,
sources, the frame) and the Scenarier, Uppföljning and Importera sections."""
