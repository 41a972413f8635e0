// A veth pair made by NetnsLab.link: which host holds which end. The kernel deletes both ends with either namespace.
package bitw.lab;

public record Link(Host hostA, String ifA, Host hostB, String ifB) {
}
