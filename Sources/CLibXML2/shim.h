#include <libxml/xmlversion.h>
/* Foundation ships its own ICU module; hide libxml2's ICU converter types (only used behind pointers). */
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
