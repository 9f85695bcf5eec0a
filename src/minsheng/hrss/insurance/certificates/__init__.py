"""参保证明: the certificate of insurance (a PDF with a QR code) and its public
verification."""
