"""Sessions (angkatan/kelas) of a catalogue programme. Issue 6 needs when and where they run;
registration, attendance and certificates come with the sessions issue."""
