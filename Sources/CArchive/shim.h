// libarchive (Debian's libarchive-dev): export ZIPs written front to back as a stream, each entry once,
// with the central directory written once at the end.
#include <archive.h>
#include <archive_entry.h>

// AE_IFREG is a macro with a cast, which Swift does not import.
static inline unsigned int livetrain_archive_regular_file(void) { return AE_IFREG; }
