/* The C ABI is implemented in Swift (EquilibriaABI); this file gives SwiftPM a C target for the header. */
