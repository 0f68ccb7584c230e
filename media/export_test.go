package media

// CannotStore exposes cannotStore to the tests.
var CannotStore = cannotStore
