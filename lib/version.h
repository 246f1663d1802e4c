/* version.h - the version every tool prints for --version. */
#ifndef TACT_VERSION_H
#define TACT_VERSION_H

#define TACT_VERSION "0.1.0"

#endif
