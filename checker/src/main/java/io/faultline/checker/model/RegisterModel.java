package io.faultline.checker.model;

/** A read/write register (no cas). */
public final class RegisterModel extends CasRegisterModel {
    public RegisterModel(ModelConfig config) {
        super(config);
    }

    @Override
    public String name() {
        return "register";
    }

    @Override
    protected Object cas(Call call) {
        throw new IllegalArgumentException("register has no op 'cas' (use cas-register)");
    }
}
