// V8 keeps a number field as a small integer (Smi) until it first holds a fraction. That change
// of representation deprecates the object's shape and deoptimises every function compiled
// against it, in the middle of a run (measured: ~0.1 s of re-optimisation per replication).
// Fields that will hold fractions (times, sums of seconds) therefore start from this zero, which
// V8 stores as a double from the start. -0 equals 0 in every comparison, and x + -0 is x.
export const F64_ZERO = -0;
