"""Industrial parks (#16): park totals over the members' Data Matrix and the shared
facilities (nothing counted twice), member standing, and framework scoring. Pure."""
